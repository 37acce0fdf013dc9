"""The offline demo world: fictional Illinois sites served on 127.0.0.1 (see demo/README.md).

``demo/sites/<site>/`` holds each site's pages, ``demo/documents/`` the text the PDFs and the
portal page are generated from, ``demo/sources.yaml`` the sources that crawl them and
``demo/expected.yaml`` the findings and traps planted in them.
"""
