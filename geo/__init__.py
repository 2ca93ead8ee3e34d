"""Data and geometry for Frontier Atlas. Never imports streamlit or folium."""
