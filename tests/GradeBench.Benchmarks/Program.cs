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
// `write-bundle PATH RESPONSES RATERS` writes a study bundle (id "bench") whose RATERS raters each rated every response
// on four criteria, for timing `gradebench import` and `gradebench export` (export-vs-sqlite.sh).
// An optional fourth argument: the number of models answering each case (default 3).
if (args is ["write-bundle", var bundleFolder, var responseCount, var raterCount, ..] && args.Length <= 5)
{
    GradeBench.Testing.SyntheticBundle.Write(bundleFolder, "bench", "Export benchmark (synthetic)", int.Parse(responseCount), ratersPerResponse: Math.Max(1, int.Parse(raterCount)),
        ratingRaters: int.Parse(raterCount), models: args.Length == 5 ? int.Parse(args[4]) : 3);
    return;
}
// `pages WEB_DLL DB LARGE_SLUG DEMO_SLUG` times the coordinator pages in headless Chromium (large-study-pages.sh).
if (args is ["pages", var webApp, var database, var largeSlug, var demoSlug])
{
    await PageBenchmark.RunAsync(webApp, database, largeSlug, demoSlug);
    return;
}
// `profile-pages DB STUDY_ID`: a stopwatch around each query and computation of the coordinator pages.
if (args is ["profile-pages", var profiled, var studyId])
{
    await PageProfile.RunAsync(profiled, long.Parse(studyId, CultureInfo.InvariantCulture));
    return;
}
// `profile-judges DB STUDY`: a stopwatch around the judge statistics of the results page (large-study-pages.sh --with-judge).
if (args is ["profile-judges", var judged, var judgedStudy])
{
    await PageProfile.JudgesAsync(judged, judgedStudy);
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
