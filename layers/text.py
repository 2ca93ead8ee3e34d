"""Display-safe text for the page (the escaping itself lives in ``layers._html``, the one place).

``plain_notice`` for data or URL text shown by Streamlit's markdown (messages naming data values:
inert, never a link); ``safe_markdown`` for our own markdown with data values inside;
``safe_text`` for HTML contexts.
"""

from __future__ import annotations

from layers._html import plain_notice, safe_markdown, safe_text

__all__ = ["plain_notice", "safe_markdown", "safe_text"]
