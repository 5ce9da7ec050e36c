// The sandbox ("pause") program of the e2e node's pod sandbox image; standard library only.
module kubectl-job.test/pause

go 1.26.0
