using ReplicatedLog.Master;

await MasterApp.Build(args).RunAsync();
