"""One module per page; Dash imports them (``use_pages``), each calls ``dash.register_page``."""
