"""mkdocs hooks of the site.

Markdown tables (in hand-written pages) come out with bare ``<th>`` cells; screen readers then
guess what a header cell heads. Every header of a Markdown table is a column header (Markdown
has no row headers), so ``scope="col"`` is added where no scope is given. Generated pages
already write their own scopes and are left as they are.
"""

import re

_BARE_TH = re.compile(r"<th(?=[\s>])(?![^>]*\bscope=)")


def on_page_content(html, page, config, files):
    return _BARE_TH.sub('<th scope="col"', html)
