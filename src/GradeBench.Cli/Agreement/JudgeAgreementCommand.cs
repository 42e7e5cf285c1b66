using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;

namespace GradeBench.Cli.Agreement;

/// <summary><c>gradebench judge-agreement</c>: whether LLM judges can stand in for the physicians of a ratings file
/// (docs/judges.md), the statistics of <see cref="JudgeAgreement.Analyse"/>.</summary>
static class JudgeAgreementCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Long-format ratings: CSV with the header unit,rater,value, one row per rating" };
        var judges = new Option<string>("--judges") { Description = "The raters that are LLM judges, comma-separated; every other rater is a physician", Required = true };
        var level = new Option<MeasurementLevel>("--level") { Description = "Measurement level: nominal, ordinal, interval or ratio", Required = true };
        var categories = new Option<string?>("--categories")
        {
            Description = "The scale in order, as one CSV record (quote a label holding a comma), including categories nobody used",
        };
        var scoring = new Option<string?>("--scoring") { Description = "How the alt-test scores a value against the other physicians': accuracy (default for nominal) or neg_rmse (default otherwise)" };
        scoring.AcceptOnlyFromAmong("accuracy", "neg_rmse");
        var epsilon = new Option<double>("--epsilon")
        {
            Description = "The alt-test's ε: 0.2 for experts such as physicians, 0.15 for skilled annotators, 0.1 for crowd workers",
            DefaultValueFactory = _ => AltTest.ExpertEpsilon,
        };
        var q = new Option<double>("--q") { Description = "False discovery rate of the Benjamini–Yekutieli procedure", DefaultValueFactory = _ => AltTest.DefaultQ };
        var minInstances = new Option<int>("--min-instances")
        {
            Description = "Physicians with fewer responses shared with the judge and another physician are not tested",
            DefaultValueFactory = _ => AltTest.DefaultMinInstances,
        };
        var positive = new Option<string?>("--positive") { Description = "The positive category (balanced F1; shares of nominal scales); default: the scale's last" };
        var models = new Option<FileInfo?>("--models") { Description = "CSV with the header unit,model: prediction-powered estimates of each model's mean" };
        var bootstrap = new Option<int>("--bootstrap")
        {
            Description = "Bootstrap resamples for 95% intervals of the kappas, AC1 and leniency (0: none)",
            DefaultValueFactory = _ => Bootstrap.DefaultResamples,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap's random draws", DefaultValueFactory = _ => Bootstrap.DefaultSeed };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("judge-agreement",
            "Whether LLM judges can stand in for the physicians of a ratings file: the alternative annotator test, balanced F1, " +
            "agreement with each physician, leniency, prediction-powered means (docs/judges.md). Exit code 2 for bad input.")
        {
            file, judges, level, categories, scoring, epsilon, q, minInstances, positive, models, bootstrap, seed, format,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var chosenLevel = parse.GetValue(level);
            var judgeNames = parse.GetValue(judges)!.Split(',').Select(n => n.Trim()).ToList();
            var chosenScoring = parse.GetValue(scoring) switch
            {
                "accuracy" => AltTestScoring.Accuracy,
                "neg_rmse" => AltTestScoring.NegRmse,
                _ => (AltTestScoring?)null,
            };
            if (OptionProblem(judgeNames, chosenLevel, chosenScoring, parse.GetValue(epsilon), parse.GetValue(q), parse.GetValue(minInstances),
                    parse.GetValue(bootstrap)) is { } problem)
            {
                error.WriteLine($"error: {problem}");
                return ExitCodes.InvalidInput;
            }
            IReadOnlyList<string>? scale;
            try
            {
                scale = parse.GetValue(categories) is { } record ? RatingsCsv.ParseCategories(record) : null;
            }
            catch (RatingsCsvException e)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            if (CsvFile.Read(path, reader => RatingsCsv.Read(reader, chosenLevel, scale), error) is not { } ratings) return ExitCodes.InvalidInput;
            IReadOnlyDictionary<string, string>? unitModels = null;
            if (parse.GetValue(models) is { } modelsFile && (unitModels = CsvFile.Read(modelsFile, UnitModelsCsv.Read, error)) is null)
                return ExitCodes.InvalidInput;
            if (RatingsProblem(ratings, judgeNames, parse.GetValue(positive), path.Name) is { } ratingsProblem)
            {
                error.WriteLine($"error: {ratingsProblem}");
                return ExitCodes.InvalidInput;
            }
            var report = JudgeAgreement.Analyse(ratings, judgeNames, new JudgeAgreementOptions
            {
                Level = chosenLevel,
                Scoring = chosenScoring,
                Epsilon = parse.GetValue(epsilon),
                Q = parse.GetValue(q),
                MinInstances = parse.GetValue(minInstances),
                Positive = parse.GetValue(positive),
                BootstrapResamples = parse.GetValue(bootstrap),
                Seed = parse.GetValue(seed),
                UnitModels = unitModels,
            });
            output.Write(parse.GetValue(format) == "json" ? Json(report) : Table(report));
            return ExitCodes.Success;
        });
        return command;
    }

    static string? OptionProblem(List<string> judges, MeasurementLevel level, AltTestScoring? scoring, double epsilon, double q, int minInstances, int bootstrap)
    {
        if (judges.Any(j => j.Length == 0)) return "--judges has an empty name";
        if (judges.Distinct().Count() != judges.Count) return "--judges names a rater twice";
        if (scoring == AltTestScoring.NegRmse && level == MeasurementLevel.Nominal)
            return "--scoring neg_rmse needs an ordered scale (--level ordinal, interval or ratio): nominal categories have no distance";
        if (epsilon is < 0 or > 1 || double.IsNaN(epsilon)) return "--epsilon must be between 0 and 1";
        if (q is <= 0 or >= 1 || double.IsNaN(q)) return "--q must be between 0 and 1 (exclusive)";
        if (minInstances < 2) return "--min-instances must be 2 or more (the t-test needs a variance)";
        if (bootstrap < 0) return "--bootstrap must be 0 or more";
        return null;
    }

    static string? RatingsProblem(RatingMatrix ratings, List<string> judges, string? positive, string fileName)
    {
        if (judges.FirstOrDefault(j => !ratings.RaterIds.Contains(j)) is { } missing)
            return $"--judges: \"{missing}\" has no rating in {fileName}";
        if (ratings.RaterCount == judges.Count) return $"every rater of {fileName} is named in --judges: there are no physicians to compare with";
        if (positive is not null && !ratings.Categories.Contains(positive))
            return $"--positive: \"{positive}\" is not one of the categories {string.Join(',', ratings.Categories)}";
        return null;
    }

    static string Name(AltTestScoring scoring) => scoring == AltTestScoring.Accuracy ? "accuracy" : "neg_rmse";

    static string Json(JudgeAgreementReport report)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("units", report.Units);
            json.WriteNumber("humans", report.Physicians.Count);
            json.WriteStartObject("judges");
            foreach (var judge in report.Judges)
            {
                json.WriteStartObject(judge.Judge);
                WriteAltTest(json, judge.AltTest);
                if (judge.BalancedF1 is { } f1) WriteBalancedF1(json, f1);
                json.WriteNumber("responses", judge.Responses);
                json.WriteStartObject("agreement");
                foreach (var pair in judge.WithPhysicians)
                {
                    json.WriteStartObject(pair.RaterB);
                    json.WriteNumber("units", pair.Units);
                    foreach (var metric in pair.Metrics) EstimateJson.Write(json, metric.Name, metric.Estimate);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
                WriteSpread(json, "agreement_spread", judge.Spread);
                EstimateJson.Write(json, "leniency", judge.Leniency);
                WriteConfusion(json, judge.Confusion);
                if (judge.Models.Count > 0) WriteModels(json, judge.Models);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteString("level", report.Level.ToString().ToLowerInvariant());
            json.WriteStartArray("categories");
            foreach (var category in report.Categories) json.WriteStringValue(category);
            json.WriteEndArray();
            if (report.Positive is { } positive) json.WriteString("positive", positive);
            WriteSpread(json, "physician_pairs_spread", report.PhysicianSpread);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    static void WriteAltTest(Utf8JsonWriter json, AltTestResult alt)
    {
        json.WriteStartObject("alt_test");
        json.WriteNumber("epsilon", alt.Epsilon);
        json.WriteNumber("q", alt.Q);
        json.WriteString("scoring", Name(alt.Scoring));
        json.WriteNumber("humans_tested", alt.HumansTested);
        WriteNumberOrNull(json, "winning_rate", alt.WinningRate);
        WriteNumberOrNull(json, "advantage_probability", alt.AdvantageProbability);
        json.WriteBoolean("passed", alt.Passed);
        json.WriteStartObject("per_human");
        foreach (var human in alt.Humans)
        {
            json.WriteStartObject(human.Human);
            json.WriteNumber("instances", human.Instances);
            WriteNumberOrNull(json, "p_value", human.PValue);
            json.WriteBoolean("rejected", human.Rejected);
            WriteNumberOrNull(json, "judge_advantage", human.JudgeAdvantage);
            if (human.NotTested is { } why) json.WriteString("reason", why.ToString());
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteNumber("min_instances", alt.MinInstances);
        json.WriteNumber("rejections", alt.Rejections);
        if (alt.Reason is { } reason) json.WriteString("reason", reason.ToString());
        json.WriteEndObject();
    }

    static void WriteBalancedF1(Utf8JsonWriter json, JudgeBalancedF1 f1)
    {
        json.WriteStartObject("balanced_f1");
        WriteNumberOrNull(json, "value", f1.Judge.Value.Value);
        json.WriteStartObject("physicians");
        foreach (var physician in f1.Physicians) WriteNumberOrNull(json, physician.Physician, physician.Score.Value.Value);
        json.WriteEndObject();
        WriteNumberOrNull(json, "percentile", f1.Percentile.Value);
        WriteNumberOrNull(json, "f1_positive", f1.Judge.Positive.Value);
        WriteNumberOrNull(json, "f1_negative", f1.Judge.Negative.Value);
        if ((f1.Judge.Value.Reason ?? f1.Percentile.Reason) is { } reason) json.WriteString("reason", reason.ToString());
        json.WriteEndObject();
    }

    static void WriteSpread(Utf8JsonWriter json, string name, IReadOnlyList<CoefficientSpread> spread)
    {
        json.WriteStartObject(name);
        foreach (var s in spread)
        {
            json.WriteStartObject(s.Coefficient);
            json.WriteNumber("pairs", s.Pairs);
            WriteNumberOrNull(json, "min", s.Min);
            WriteNumberOrNull(json, "median", s.Median);
            WriteNumberOrNull(json, "max", s.Max);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    static void WriteConfusion(Utf8JsonWriter json, MajorityConfusion confusion)
    {
        json.WriteStartObject("confusion_vs_majority");
        json.WriteStartArray("counts");
        for (var i = 0; i < confusion.Categories.Count; i++)
        {
            json.WriteStartArray();
            for (var j = 0; j < confusion.Categories.Count; j++) json.WriteNumberValue(confusion.Counts[i, j]);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteNumber("no_majority", confusion.NoMajority);
        json.WriteEndObject();
    }

    static void WriteModels(Utf8JsonWriter json, IReadOnlyList<ModelEstimate> models)
    {
        json.WriteStartObject("prediction_powered");
        foreach (var model in models)
        {
            json.WriteStartObject(model.Model);
            json.WriteNumber("physician_rated", model.PhysicianRated);
            json.WriteNumber("labeled", model.Labeled);
            json.WriteNumber("unlabeled", model.Unlabeled);
            EstimateJson.Write(json, "physician_mean", model.PhysicianMean);
            EstimateJson.Write(json, "ppi_mean", model.PredictionPoweredMean);
            EstimateJson.Write(json, "effective_sample_size", model.EffectiveSampleSize);
            EstimateJson.Write(json, "gain", model.Gain);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number) json.WriteNumber(name, number);
        else json.WriteNull(name);
    }

    static string Number(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "—";

    static string Table(JudgeAgreementReport report)
    {
        var text = new StringBuilder();
        var alt = report.Judges.Select(j => j.AltTest).FirstOrDefault();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{Count(report.Units, "unit")}, {Count(report.Physicians.Count, "physician")}, {Count(report.Judges.Count, "judge")}, {Count(report.Categories.Count, "category", "categories")}, level {report.Level.ToString().ToLowerInvariant()}");
        if (alt is not null)
            text.AppendLine(CultureInfo.InvariantCulture, $"alt-test: scoring {Name(alt.Scoring)}, epsilon {alt.Epsilon}, q {alt.Q}, at least {alt.MinInstances} instances");
        foreach (var judge in report.Judges)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"judge {judge.Judge} ({judge.Responses} responses)");
            AltTestTable(text, judge.AltTest);
            if (judge.BalancedF1 is { } f1)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"balanced F1 {Number(f1.Judge.Value.Value)}, percentile among physicians {Number(f1.Percentile.Value)}{Why(f1.Judge.Value.Reason ?? f1.Percentile.Reason)}");
                foreach (var physician in f1.Physicians)
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {physician.Physician}  {Number(physician.Score.Value.Value)}");
            }
            SpreadTable(text, judge.Spread, report.PhysicianSpread);
            text.AppendLine(CultureInfo.InvariantCulture, $"leniency (judge − physicians' mean) {Number(judge.Leniency.Value)}{Interval(judge.Leniency)}{Why(judge.Leniency.Reason)}");
            ConfusionTable(text, judge.Confusion);
            ModelTable(text, judge.Models);
        }
        return text.ToString();
    }

    static string Count(int n, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many ?? one + "s")}");

    static string Why(GradeBench.Core.Messages.Message? reason) => reason is null ? "" : $" ({reason})";

    static string Interval(Estimate estimate) => estimate.Ci95 is { } ci
        ? string.Create(CultureInfo.InvariantCulture, $" [{ci.Lower:0.0000}, {ci.Upper:0.0000}]")
        : "";

    static void AltTestTable(StringBuilder text, AltTestResult alt)
    {
        var verdict = alt.WinningRate is null ? $"not decided ({alt.Reason})" : alt.Passed ? "passed" : "failed";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"alt-test {verdict}: winning rate {Number(alt.WinningRate)} ({alt.Rejections} of {alt.HumansTested} physicians tested), advantage probability {Number(alt.AdvantageProbability)}");
        var width = Math.Max("physician".Length, alt.Humans.Select(h => h.Human.Length).DefaultIfEmpty(0).Max());
        text.AppendLine($"  {"physician".PadRight(width)}  instances  p_value  rejected  judge_advantage");
        foreach (var h in alt.Humans)
        {
            var p = h.PValue is { } value ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "—";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {h.Human.PadRight(width)}  {h.Instances,9}  {p,7}  {(h.Rejected ? "yes" : "no"),-8}  {Number(h.JudgeAdvantage)}{Why(h.NotTested)}");
        }
    }

    static void SpreadTable(StringBuilder text, IReadOnlyList<CoefficientSpread> judge, IReadOnlyList<CoefficientSpread> physicians)
    {
        static string Cell(CoefficientSpread s) => s.Median is null ? "—" : $"{Number(s.Median)} [{Number(s.Min)}, {Number(s.Max)}] n={s.Pairs}";
        var width = judge.Select(s => s.Coefficient.Length).DefaultIfEmpty(0).Max();
        text.AppendLine($"  {"coefficient".PadRight(width)}  {"judge–physician median [min, max]",-38}  physician–physician median [min, max]");
        foreach (var s in judge)
            text.AppendLine($"  {s.Coefficient.PadRight(width)}  {Cell(s),-38}  {Cell(physicians.Single(p => p.Coefficient == s.Coefficient))}");
    }

    static void ConfusionTable(StringBuilder text, MajorityConfusion confusion)
    {
        text.AppendLine(CultureInfo.InvariantCulture,
            $"judge (rows) × physicians' majority (columns){(confusion.NoMajority > 0 ? $", {confusion.NoMajority} responses with a tied majority left out" : "")}");
        var k = confusion.Categories.Count;
        var width = Math.Max(confusion.Categories.Max(c => c.Length), Enumerable.Range(0, k).SelectMany(i => Enumerable.Range(0, k).Select(j => confusion.Counts[i, j].ToString(CultureInfo.InvariantCulture).Length)).Max());
        text.AppendLine($"  {"".PadRight(width)}  {string.Join("  ", confusion.Categories.Select(c => c.PadLeft(width)))}");
        for (var i = 0; i < k; i++)
            text.AppendLine($"  {confusion.Categories[i].PadRight(width)}  {string.Join("  ", Enumerable.Range(0, k).Select(j => confusion.Counts[i, j].ToString(CultureInfo.InvariantCulture).PadLeft(width)))}");
    }

    static void ModelTable(StringBuilder text, IReadOnlyList<ModelEstimate> models)
    {
        if (models.Count == 0) return;
        text.AppendLine("prediction-powered means (95% CI)");
        foreach (var m in models)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {m.Model}: physicians {Number(m.PhysicianMean.Value)}{Interval(m.PhysicianMean)} (n={m.PhysicianRated}); " +
                $"prediction-powered {Number(m.PredictionPoweredMean.Value)}{Interval(m.PredictionPoweredMean)} (n={m.Labeled}+{m.Unlabeled}); " +
                $"effective n {Number(m.EffectiveSampleSize.Value)}, gain ×{Number(m.Gain.Value)}{Why(m.PredictionPoweredMean.Reason ?? m.EffectiveSampleSize.Reason)}");
    }
}
