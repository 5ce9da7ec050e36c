// Placeholder that marks the module root; builds use -modfile mod/<version>.mod (see gen-mod.sh).
module kubectl-job.test/job-oracle

go 1.22.0
