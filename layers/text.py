"""Display-safe text for the page (the escaping itself lives in ``layers._html``, the one place).

``safe_markdown`` for text shown by Streamlit's markdown (messages naming data values);
``safe_text`` for HTML contexts.
"""

from __future__ import annotations

from layers._html import safe_markdown, safe_text

__all__ = ["safe_markdown", "safe_text"]
