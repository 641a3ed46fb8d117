from villagecat.cli import run

run()
