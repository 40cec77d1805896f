ReplicatedLog.Dashboard.DashboardApp.Build(args).Run();
