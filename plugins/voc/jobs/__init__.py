"""The CLI's long-running jobs: the demo and dated runs of voc_nightly."""
