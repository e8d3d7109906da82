import sys

from rillchat.launch import main

sys.exit(main())
