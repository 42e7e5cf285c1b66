using System.Globalization;
using BenchmarkDotNet.Running;
using GradeBench.Benchmarks;
// `write-csv PATH UNITS RATERS MISSING` writes synthetic ratings for timing `gradebench agreement` as a whole
// process; anything else goes to BenchmarkDotNet (e.g. --filter '*').
if (args is ["write-csv", var path, var units, var raters, var missing])
{
    SyntheticRatings.WriteCsv(SyntheticRatings.Create(int.Parse(units), int.Parse(raters), missing: double.Parse(missing, CultureInfo.InvariantCulture)), path);
    return;
}
if (args is ["profile-open"])
{
    var bench = new GradingBenchmarks();
    bench.Setup();
    await bench.ProfileAsync();
    bench.Cleanup();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(AgreementBenchmarks).Assembly).Run(args);
