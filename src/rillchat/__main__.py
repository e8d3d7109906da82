import sys

from rillchat.cli.launch import main

sys.exit(main())
