"""`python -m pipeline` runs the command-line interface."""

from pipeline.cli import main

if __name__ == "__main__":  # not again in a spawned worker process (Dask's LocalCluster re-imports __main__)
    main()
