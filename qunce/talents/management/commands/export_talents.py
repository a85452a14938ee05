import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from qunce.org.models import Person, Unit
from qunce.talents import selectors, spreadsheet
from qunce.talents.forms import RegistryFilterForm


class Command(BaseCommand):
    help = "Export the talent list to .xlsx (the import template's columns), optionally filtered."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--unit", help="unit code: that unit and everything below it")
        parser.add_argument("--keyword")
        parser.add_argument("--discipline", help="门类 (2 digits) or 一级学科 (4 digits) code")
        parser.add_argument("--role", help="advisor, technician, educator, …")
        parser.add_argument("--title-level", dest="title_level")
        parser.add_argument("--political-status", dest="political_status")

    def handle(self, *args, out, **options):
        params = QueryDict(mutable=True)
        for key in ("keyword", "discipline", "role", "title_level", "political_status"):
            if options.get(key):
                params[key] = options[key]
        if options.get("unit"):
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"单位代码不存在：{options['unit']}")
            params["unit"] = str(unit.pk)
        form = RegistryFilterForm(params, units=Unit.objects.all())
        if not form.is_valid():
            problems = "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()
            )
            raise CommandError(problems)
        people = selectors.with_profile_details(
            selectors.registry_search(Person.objects.all(), **(form.search_arguments() or {}))
        )
        handle = spreadsheet.write_export(people.iterator(chunk_size=2000), Unit.objects.all())
        with open(out, "wb") as target:
            shutil.copyfileobj(handle, target)
        handle.close()
        self.stdout.write(f"已导出 {people.count()} 人到 {out}")
