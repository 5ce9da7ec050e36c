module kubectl-job/duration-oracle

go 1.23
