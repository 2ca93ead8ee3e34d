"""The page's Streamlit parts: session state and URL sync, cached data, panels, the map seam.

With ``app.py`` this is the only package that imports streamlit. Each panel module draws one part
of the page and depends on ``layers``/``geo`` and ``ui.cache`` only, never on another panel.
"""
