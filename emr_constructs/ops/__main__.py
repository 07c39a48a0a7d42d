from emr_constructs.ops.cli import main

main()
