using GradeBench.Cli;

return await GradeBenchCommand.RunAsync(args, Console.Out, Console.Error, Console.In);
