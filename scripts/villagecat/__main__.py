from villagecat.cli import main

raise SystemExit(main())
