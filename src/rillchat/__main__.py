import sys

from rillchat.cli import main

sys.exit(main())
