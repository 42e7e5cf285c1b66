using GradeBench.Cli;

// Every connection of the command line is used by one thread at a time (the export's reading thread opens its own), so
// SQLite's lock around every call on a connection (serialized mode, e_sqlite3's default) guards nothing here: without
// it an export of 1.6M ratings takes 2.58 s instead of 2.84 s (docs/benchmarks.md). Set before SQLite starts.
SQLitePCL.Batteries_V2.Init();
SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
return await GradeBenchCommand.RunAsync(args, Console.Out, Console.Error, Console.In);
