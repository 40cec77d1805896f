using ReplicatedLog.Secondary;

await SecondaryApp.Build(args).RunAsync();
