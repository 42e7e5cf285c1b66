using GradeBench.LoadTest;

return await LoadTestCommand.RunAsync(args, Console.Out, Console.Error);
