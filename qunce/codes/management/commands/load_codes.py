from django.core.management.base import BaseCommand

from qunce.codes.loading import load_code_lists, region_rows
from qunce.codes.models import Discipline, Industry, Region
from qunce.codes.selectors import forget_region_options


class Command(BaseCommand):
    help = (
        "Insert or update the national code lists from qunce/codes/data (migrations do this too)."
    )

    def handle(self, *args, **options):
        counts = load_code_lists(
            discipline_model=Discipline, industry_model=Industry, region_model=Region
        )
        # The place selects keep their options in the cache (codes.selectors).
        forget_region_options({row["parent_id"] for row in region_rows() if row["parent_id"]})
        for model, count in counts.items():
            self.stdout.write(f"{model}: {count}")
