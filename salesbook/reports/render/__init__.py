"""Renderers (adapters): a report context → HTML (jinja2 + css-inline), XLSX (xlsxwriter),
PDF (fpdf2 + the shipped font), charts (Pillow). `batch.render_batch` runs them."""
