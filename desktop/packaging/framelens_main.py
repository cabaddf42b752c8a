"""Entry script of the standalone application (``make dist``): the ``framelens`` command.

The same as the ``framelens`` console script (``desktop.launch:main``), with one addition that
only a frozen program needs: :func:`multiprocessing.freeze_support`.  The GUI's suggestion
helper and spaCy's ``--n-process`` workers are started with the ``spawn`` method, which runs
this executable again with multiprocessing's own arguments; ``freeze_support`` turns such a run
into the child process instead of a second FrameLens.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from framelens.desktop.launch import main

    sys.exit(main())
