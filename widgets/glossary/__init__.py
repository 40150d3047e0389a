"""The glossary of the course: data (``glossary.json``), model (:mod:`.model`) and page
(:mod:`.page`). See ``widgets/glossary/README.md`` to add or change a word."""
