from django.core.management.base import BaseCommand

from qunce.codes.loading import load_code_lists
from qunce.codes.models import Discipline, Industry, Region
from qunce.codes.selectors import forget_code_list


class Command(BaseCommand):
    help = (
        "Insert or update the national code lists from qunce/codes/data (migrations do this too)."
    )

    def handle(self, *args, **options):
        counts = load_code_lists(
            discipline_model=Discipline, industry_model=Industry, region_model=Region
        )
        forget_code_list()
        for model, count in counts.items():
            self.stdout.write(f"{model}: {count}")
