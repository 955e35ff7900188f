"""`briefgen serve`: the local workbench, a web application on 127.0.0.1 behind a token.

`workbench.py` holds the workspace as last checked and what the pages ask of it (claims
by filter, the briefs using each claim, previews); `app.py` the server, its token and the
live-reload events; `pages.py` the pages, every store text escaped; `writes.py` the
writes the forms make, under one lock.
"""
