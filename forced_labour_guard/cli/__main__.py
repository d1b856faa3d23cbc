import sys

from forced_labour_guard.cli import main

sys.exit(main())
