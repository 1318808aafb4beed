"""Screen checks the office journeys share: money never breaks inside (rule 9) — every `.money` amount on the page
lies on one line box — and table cells that must stay on one line do."""

MONEY_JS = """(sel) => [...document.querySelectorAll(sel)]
  .filter(e => e.offsetParent !== null)
  .filter(e => e.getClientRects().length > 1 || e.getBoundingClientRect().height > 1.8 * parseFloat(getComputedStyle(e).lineHeight || 24))
  .map(e => e.textContent.trim())"""


def assert_money_unbroken(page, selector: str = ".money") -> int:
    """Every visible amount on one line; returns how many amounts were measured (so a check that saw none can fail)."""
    broken = page.evaluate(MONEY_JS, selector)
    assert broken == [], f"amounts broken across lines at {page.viewport_size['width']} px: {broken}"
    return page.locator(selector).count()


FITS_JS = """() => {
  const w = document.documentElement.clientWidth;
  const outside = [...document.querySelectorAll('body *')]
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > w + 0.5)
    .filter(e => !e.closest('.table-wrap'))
    .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
  const boxes = [...document.querySelectorAll('.table-wrap')].filter(e => e.offsetParent !== null)
    .filter(e => e.getBoundingClientRect().right > w + 0.5 || getComputedStyle(e).overflowX === 'visible')
    .map(e => e.querySelector('table') ? (e.querySelector('table').id || e.className) : e.className);
  return {width: w, scrollWidth: document.documentElement.scrollWidth, outside, boxes};
}"""


def assert_fits_scrolling_tables(page, name: str) -> None:
    """A phone page with wide tables: the page never scrolls sideways; a table wider than the phone scrolls inside its
    own box (.table-wrap), which itself stays within the screen."""
    from ..browser import shot

    shot(page, name)
    res = page.evaluate(FITS_JS)
    assert res["scrollWidth"] <= res["width"] and res["outside"] == [] and res["boxes"] == [], res
