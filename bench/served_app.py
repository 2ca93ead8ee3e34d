"""The map region through ``layers.layer_manager`` with group scripts served as files."""

from bench._map_page import run

run(managed=True, served=True)
