"""Reproducible builders of the committed data: base map, border segments, enclaves.

Every builder follows the same shape, so a new one (e.g. ``geo/build/context.py`` for rivers and
settlements) is written by imitation:

- ``build_<name>(*, <input paths>, out_dir|out_path) -> report`` — keyword-only inputs, writes
  deterministic bytes (``geo.build.output.dump_feature_collection``) and returns what it wrote;
  a rebuild from the same inputs is byte-identical, and a test compares the committed file with a
  fresh build.
- ``cli_build_<name>(argv: list[str]) -> int`` — the ``python -m geo build-<name>`` command; its row
  in ``geo.__main__.BUILDERS`` is the only other edit.
- Provenance prose comes from a template next to the builder (``templates/<name>_provenance.md.in``,
  filled by ``geo.build.output.render_template``), never from f-strings in code.
"""
