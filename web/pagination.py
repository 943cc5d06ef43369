"""What templates/includes/pagination.html needs besides the page number and the number of pages."""

from collections.abc import Callable


def neighbour_urls(number: int, num_pages: int, url: Callable[[int], str]) -> dict:
    """The addresses of the pages before and after page `number` (None at either end); `url(n)` is page n's."""
    return {
        "previous_url": url(number - 1) if number > 1 else None,
        "next_url": url(number + 1) if number < num_pages else None,
    }
