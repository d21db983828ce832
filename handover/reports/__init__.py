"""The outputs written for analysts, quality advisers and researchers: report, audit, user story.

Composition: running the findings, building the data of a page, writing the files. The
pages themselves are drawn by :mod:`handover.render`.
"""
