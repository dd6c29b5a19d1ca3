import sys

from simsec.cli import main

sys.exit(main())
