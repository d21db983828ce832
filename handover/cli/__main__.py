"""``python -m handover.cli``: the same as the ``handover`` command."""

from handover.cli.app import main

main()
