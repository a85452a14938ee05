"""The API's page numbers, bounded: a page beyond any list is a 422 naming `page`, not an
offset past 2⁶³ that the database refuses with a 500."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Far beyond any list of a province (a million people at 100 a page is 10,000 pages).
LAST_PAGE = 1_000_000


class BoundedPageNumberPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=LAST_PAGE)
        # A larger page size is cut to the largest one (NINJA_PAGINATION_MAX_PER_PAGE_SIZE).
        page_size: int | None = Field(None, ge=1)
