"""The outputs written for analysts, quality advisers and researchers: report, audit, user story."""
