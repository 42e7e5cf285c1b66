using GradeBench.Core.Agreement;

namespace GradeBench.Core.Judges;

/// <summary>How <see cref="JudgeAgreement.Analyse"/> reads the ratings (docs/judges.md).</summary>
public sealed record JudgeAgreementOptions
{
    public required MeasurementLevel Level { get; init; }

    /// <summary>The alt-test's scoring; null: accuracy for nominal scales, neg_rmse for ordered ones.</summary>
    public AltTestScoring? Scoring { get; init; }

    public double Epsilon { get; init; } = AltTest.ExpertEpsilon;
    public double Q { get; init; } = AltTest.DefaultQ;
    public int MinInstances { get; init; } = AltTest.DefaultMinInstances;

    /// <summary>The positive category (balanced F1, and the shares of nominal scales); null: the scale's last category.</summary>
    public string? Positive { get; init; }

    /// <summary>0: no bootstrap intervals.</summary>
    public int BootstrapResamples { get; init; } = Bootstrap.DefaultResamples;

    public int Seed { get; init; } = Bootstrap.DefaultSeed;

    /// <summary>The model of each unit (by unit id), for the prediction-powered estimates; null: none are made.</summary>
    public IReadOnlyDictionary<string, string>? UnitModels { get; init; }

    /// <summary>The number each category stands for in means and leniency; null: the convention of docs/judges.md
    /// (numbers of numeric scales, positions of other ordinal ones, 1 for the positive category of nominal ones).</summary>
    public IReadOnlyList<double>? CategoryScores { get; init; }
}

/// <summary>Two raters' chance-corrected agreement on the responses both rated, with bootstrap intervals.</summary>
public sealed record PairAgreement(string RaterA, string RaterB, int Units, IReadOnlyList<Metric> Metrics)
{
    public Estimate? this[string name] => Metrics.FirstOrDefault(m => m.Name == name)?.Estimate;
}

/// <summary>How one coefficient spreads over pairs of raters: how many pairs have a value, and the least, the median
/// (type 7) and the greatest of those values; null when no pair has one.</summary>
public sealed record CoefficientSpread(string Coefficient, int Pairs, double? Min, double? Median, double? Max);

/// <summary>[judge's category, physicians' majority category] counts over the responses the judge and a physician
/// rated; <see cref="NoMajority"/> counts those where two or more categories tie for most physicians.</summary>
public sealed record MajorityConfusion(IReadOnlyList<string> Categories, int[,] Counts, int NoMajority);

/// <summary>One physician's balanced F1 against the other physicians.</summary>
public sealed record PhysicianF1(string Physician, BalancedF1Score Score);

/// <summary>The judge's balanced F1 against the physicians, the physicians' own, and the judge's percentile among them.</summary>
public sealed record JudgeBalancedF1(BalancedF1Score Judge, IReadOnlyList<PhysicianF1> Physicians, Estimate Percentile);

/// <summary>One model's mean of a criterion: from the physicians alone (<see cref="PhysicianRated"/> responses), and
/// prediction-powered (<see cref="Labeled"/> responses with the judge's and physicians' values, <see cref="Unlabeled"/>
/// with the judge's alone), each with its 95% interval; <see cref="EffectiveSampleSize"/> n_eff is how many
/// physician-rated responses the physician-only estimate would need for the prediction-powered standard error, and
/// <see cref="Gain"/> is n_eff / <see cref="PhysicianRated"/>.</summary>
public sealed record ModelEstimate(string Model, int PhysicianRated, int Labeled, int Unlabeled, Estimate PhysicianMean,
    Estimate PredictionPoweredMean, Estimate EffectiveSampleSize, Estimate Gain);

/// <summary>Everything about one judge: <see cref="Responses"/> it rated, the alt-test, the balanced F1 (two-category
/// scales only), its agreement with each physician and how that spreads, its leniency (mean difference from the
/// physicians), the confusion matrix against the physicians' majority, and the prediction-powered estimates.</summary>
public sealed record JudgeReport(
    string Judge,
    int Responses,
    AltTestResult AltTest,
    JudgeBalancedF1? BalancedF1,
    IReadOnlyList<PairAgreement> WithPhysicians,
    IReadOnlyList<CoefficientSpread> Spread,
    Estimate Leniency,
    MajorityConfusion Confusion,
    IReadOnlyList<ModelEstimate> Models);

/// <summary>The judges of one set of ratings (one criterion) beside its physicians. <see cref="Positive"/>: the positive
/// category where one is used (two categories, nominal scales, or named).</summary>
public sealed record JudgeAgreementReport(
    int Units,
    MeasurementLevel Level,
    IReadOnlyList<string> Categories,
    string? Positive,
    AltTestScoring Scoring,
    IReadOnlyList<string> Physicians,
    IReadOnlyList<PairAgreement> PhysicianPairs,
    IReadOnlyList<CoefficientSpread> PhysicianSpread,
    IReadOnlyList<JudgeReport> Judges)
{
    /// <summary>The coefficient the results page and the report show of a judge's agreement with the physicians: Cohen's
    /// κ on nominal scales, weighted κ with linear weights on ordinal ones and quadratic above, as the results pair
    /// Gwet's AC2 with the levels (Gwet 2014, ch. 3; docs/judges.md, "In a study").</summary>
    public string HeadlineCoefficient => Level switch
    {
        MeasurementLevel.Nominal => "cohen_kappa",
        MeasurementLevel.Ordinal => "weighted_kappa_linear",
        _ => "weighted_kappa_quadratic",
    };
}

/// <summary>Whether an LLM judge can stand in for the physicians, criterion by criterion (docs/judges.md): the one entry
/// point for the command line, the results page, <c>judges.csv</c> and the report, so they show the same numbers.</summary>
public static class JudgeAgreement
{
    /// <param name="ratings">Units (responses) × raters, judges and physicians together.</param>
    /// <param name="judges">The raters that are judges, by id; every other rater is a physician.</param>
    public static JudgeAgreementReport Analyse(RatingMatrix ratings, IReadOnlyCollection<string> judges, JudgeAgreementOptions options)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(judges);
        ArgumentNullException.ThrowIfNull(options);
        var raterIndex = ratings.RaterIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var judgeColumns = judges.Select(j => raterIndex.TryGetValue(j, out var c) ? c
            : throw new ArgumentException($"\"{j}\" is not a rater of these ratings", nameof(judges))).ToArray();
        var physicians = Enumerable.Range(0, ratings.RaterCount).Except(judgeColumns).ToArray();
        var positive = PositiveCategory(ratings, options.Positive);
        var scoring = options.Scoring ?? (options.Level == MeasurementLevel.Nominal ? AltTestScoring.Accuracy : AltTestScoring.NegRmse);
        var alignment = scoring == AltTestScoring.NegRmse ? AlignmentNumbers(ratings, options.Level) : null;
        var scores = options.CategoryScores?.ToArray() ?? Scores(ratings, options.Level, positive);
        if (scores.Length != ratings.CategoryCount) throw new ArgumentException("one score per category", nameof(options));
        var twoCategories = ratings.CategoryCount == 2;

        var physicianPairs = new List<(int A, int B)>();
        for (var a = 0; a < physicians.Length; a++)
            for (var b = a + 1; b < physicians.Length; b++)
                if (SharedUnits(ratings, physicians[a], physicians[b]).Length > 0) physicianPairs.Add((physicians[a], physicians[b]));
        var judgePairs = judgeColumns.Select(j => physicians.Where(p => SharedUnits(ratings, j, p).Length > 0).Select(p => (A: j, B: p)).ToList()).ToArray();
        var allPairs = physicianPairs.Concat(judgePairs.SelectMany(p => p)).ToList();
        // The physician pairs' values feed only their spread: their intervals would be most of the bootstrap's work (20
        // physicians make 190 pairs beside a judge's 20) and nothing shows them.
        var pairAgreement = PairCoefficients(ratings, options.Level, allPairs, options.BootstrapResamples, options.Seed, firstResampled: physicianPairs.Count);
        var physicianRows = pairAgreement.Take(physicianPairs.Count).ToList();
        var coefficientNames = Coefficients(options.Level).Select(c => c.Name).ToList();

        var physicianF1 = twoCategories
            ? physicians.Select(p => new PhysicianF1(ratings.RaterIds[p], BalancedF1.Of(Pairs(ratings, p, physicians, positive), ratings.Categories[positive], ratings.Categories[1 - positive]))).ToList()
            : null;

        var reports = new List<JudgeReport>(judgeColumns.Length);
        var offset = physicianPairs.Count;
        for (var i = 0; i < judgeColumns.Length; i++)
        {
            var judge = judgeColumns[i];
            var withPhysicians = pairAgreement.Skip(offset).Take(judgePairs[i].Count).ToList();
            offset += judgePairs[i].Count;
            JudgeBalancedF1? f1 = null;
            if (physicianF1 is not null)
            {
                var score = BalancedF1.Of(Pairs(ratings, judge, physicians, positive), ratings.Categories[positive], ratings.Categories[1 - positive]);
                f1 = new(score, physicianF1, BalancedF1.Percentile(score.Value, physicianF1.Select(p => p.Score.Value)));
            }
            reports.Add(new JudgeReport(
                ratings.RaterIds[judge],
                Enumerable.Range(0, ratings.UnitCount).Count(u => ratings.Category(u, judge) != RatingMatrix.Missing),
                AltTest.Run(ratings, judge, physicians, scoring, options.Epsilon, options.Q, options.MinInstances, alignment),
                f1,
                withPhysicians,
                Spread(coefficientNames, withPhysicians),
                Leniency(ratings, judge, physicians, scores, options.BootstrapResamples, options.Seed),
                Confusion(ratings, judge, physicians),
                options.UnitModels is null ? [] : ModelEstimates(ratings, judge, physicians, scores, options.UnitModels)));
        }
        return new JudgeAgreementReport(ratings.UnitCount, options.Level, ratings.Categories,
            twoCategories || options.Level == MeasurementLevel.Nominal || options.Positive is not null ? ratings.Categories[positive] : null, scoring,
            physicians.Select(p => ratings.RaterIds[p]).ToList(), physicianRows, Spread(coefficientNames, physicianRows), reports);
    }

    static int PositiveCategory(RatingMatrix ratings, string? named)
    {
        if (named is null) return ratings.CategoryCount - 1;
        var index = ratings.Categories.ToList().IndexOf(named);
        return index >= 0 ? index : throw new ArgumentException($"\"{named}\" is not one of the categories {string.Join(',', ratings.Categories)}");
    }

    /// <summary>neg_rmse compares category positions on ordinal scales and the numbers on numeric ones.</summary>
    static double[] AlignmentNumbers(RatingMatrix ratings, MeasurementLevel level) => level switch
    {
        MeasurementLevel.Nominal => throw new ArgumentException("neg_rmse needs an ordered scale: nominal categories have no distance"),
        MeasurementLevel.Ordinal => Positions(ratings.CategoryCount),
        _ => ratings.CategoryValues ?? throw new ArgumentException("neg_rmse at the interval or ratio level needs numeric categories"),
    };

    /// <summary>A rating's number for means and leniency: 1 for the positive category of a nominal scale (means are then
    /// its share), the numbers of a numeric scale, else the positions of an ordinal one.</summary>
    static double[] Scores(RatingMatrix ratings, MeasurementLevel level, int positive) => level == MeasurementLevel.Nominal
        ? Enumerable.Range(0, ratings.CategoryCount).Select(c => c == positive ? 1.0 : 0.0).ToArray()
        : ratings.CategoryValues ?? Positions(ratings.CategoryCount);

    static double[] Positions(int count) => Enumerable.Range(0, count).Select(i => (double)i).ToArray();

    static int[] SharedUnits(RatingMatrix ratings, int a, int b) => Enumerable.Range(0, ratings.UnitCount)
        .Where(u => ratings.Category(u, a) != RatingMatrix.Missing && ratings.Category(u, b) != RatingMatrix.Missing).ToArray();

    static IEnumerable<(string Name, Func<RatingMatrix, Estimate> Compute)> Coefficients(MeasurementLevel level)
    {
        yield return ("cohen_kappa", m => CohenKappa.Compute(m, AgreementWeights.None));
        if (level >= MeasurementLevel.Ordinal)
        {
            yield return ("weighted_kappa_linear", m => CohenKappa.Compute(m, AgreementWeights.Linear));
            yield return ("weighted_kappa_quadratic", m => CohenKappa.Compute(m, AgreementWeights.Quadratic));
        }
        yield return ("gwet_ac1", m => GwetAc.Compute(m, AgreementWeights.None));
    }

    /// <summary>Each pair's coefficients on the units both rated (a two-column matrix of those units, so Gwet's
    /// prevalence and the bootstrap see only them), with intervals from one bootstrap of the pairs from
    /// <paramref name="firstResampled"/> on (a pair's draws depend only on its number of units, not on the others).</summary>
    static List<PairAgreement> PairCoefficients(RatingMatrix ratings, MeasurementLevel level, List<(int A, int B)> pairs, int resamples, int seed,
        int firstResampled)
    {
        var coefficients = Coefficients(level).ToList();
        var matrices = pairs.Select(p =>
        {
            var units = SharedUnits(ratings, p.A, p.B);
            var cells = new int[units.Length * 2];
            for (var i = 0; i < units.Length; i++)
                (cells[2 * i], cells[2 * i + 1]) = (ratings.Category(units[i], p.A), ratings.Category(units[i], p.B));
            return RatingMatrix.FromCells(units.Length, 2, ratings.Categories, cells, ratings.CategoryValues,
                units.Select(u => ratings.UnitIds[u]).ToArray(), [ratings.RaterIds[p.A], ratings.RaterIds[p.B]]);
        }).ToList();
        var estimates = matrices.Select(m => coefficients.Select(c => new Metric(c.Name, c.Compute(m))).ToList()).ToList();
        if (resamples > 0 && matrices.Count > 0)
        {
            var resampled = estimates.Select((e, i) => (IReadOnlyList<string>)(i < firstResampled ? [] : e.Where(m => m.Estimate.HasValue).Select(m => m.Name).ToList())).ToList();
            var intervals = AgreementBootstrap.Intervals(matrices.Select((m, i) => (m, resampled[i])).ToList(), resamples, seed);
            for (var i = 0; i < estimates.Count; i++)
                estimates[i] = estimates[i].Select(m => intervals[i].TryGetValue(m.Name, out var ci) ? m with { Estimate = m.Estimate with { Ci95 = ci } } : m).ToList();
        }
        return pairs.Select((p, i) => new PairAgreement(ratings.RaterIds[p.A], ratings.RaterIds[p.B], matrices[i].UnitCount, estimates[i])).ToList();
    }

    static List<CoefficientSpread> Spread(IEnumerable<string> names, IReadOnlyList<PairAgreement> pairs) => names.Select(name =>
    {
        var values = pairs.Select(p => p[name]?.Value).OfType<double>().Order().ToArray();
        return values.Length == 0
            ? new CoefficientSpread(name, 0, null, null, null)
            : new CoefficientSpread(name, values.Length, values[0], Bootstrap.Quantile(values, 0.5), values[^1]);
    }).ToList();

    /// <summary>Pairs (the rater's value, each physician's value but the rater's own) on the responses they share.</summary>
    internal static ClassPairs Pairs(RatingMatrix ratings, int rater, int[] physicians, int positive)
    {
        var pairs = new ClassPairs();
        for (var u = 0; u < ratings.UnitCount; u++)
        {
            var own = ratings.Category(u, rater);
            if (own == RatingMatrix.Missing) continue;
            foreach (var p in physicians)
                if (p != rater && ratings.Category(u, p) is var other and not RatingMatrix.Missing)
                    pairs = pairs.Add(own == positive, other == positive);
        }
        return pairs;
    }

    /// <summary>The mean over the responses the judge and a physician rated of (the judge's number − the mean of the
    /// physicians' numbers), with a percentile bootstrap interval over those responses.</summary>
    static Estimate Leniency(RatingMatrix ratings, int judge, int[] physicians, double[] scores, int resamples, int seed)
    {
        var differences = new List<double>();
        for (var u = 0; u < ratings.UnitCount; u++)
            if (ratings.Category(u, judge) is var own and not RatingMatrix.Missing && PhysicianMean(ratings, u, physicians, scores) is { } mean)
                differences.Add(scores[own] - mean);
        if (differences.Count == 0) return Estimate.Absent(JudgeReason.NoSharedResponse);
        var interval = resamples > 0
            ? Bootstrap.PercentileInterval(differences.Count, weights =>
            {
                double sum = 0, count = 0;
                for (var i = 0; i < weights.Length; i++) (sum, count) = (sum + weights[i] * differences[i], count + weights[i]);
                return sum / count;
            }, resamples, seed)
            : null;
        return Estimate.Of(differences.Average(), interval);
    }

    static double? PhysicianMean(RatingMatrix ratings, int unit, int[] physicians, double[] scores)
    {
        double sum = 0;
        var count = 0;
        foreach (var p in physicians)
            if (ratings.Category(unit, p) is var c and not RatingMatrix.Missing) (sum, count) = (sum + scores[c], count + 1);
        return count == 0 ? null : sum / count;
    }

    static MajorityConfusion Confusion(RatingMatrix ratings, int judge, int[] physicians)
    {
        var k = ratings.CategoryCount;
        var counts = new int[k, k];
        var noMajority = 0;
        var votes = new int[k];
        for (var u = 0; u < ratings.UnitCount; u++)
        {
            var own = ratings.Category(u, judge);
            if (own == RatingMatrix.Missing) continue;
            Array.Clear(votes);
            foreach (var p in physicians)
                if (ratings.Category(u, p) is var c and not RatingMatrix.Missing) votes[c]++;
            var most = votes.Max();
            if (most == 0) continue;
            if (votes.Count(v => v == most) > 1) noMajority++;
            else counts[own, Array.IndexOf(votes, most)]++;
        }
        return new MajorityConfusion(ratings.Categories, counts, noMajority);
    }

    /// <summary>Per model (in order of first unit): the physician-only mean of the per-response physician means, and the
    /// prediction-powered mean with the physicians' per-response means as gold values on the responses the judge and a
    /// physician rated, and the judge's values on the responses only the judge rated.</summary>
    static List<ModelEstimate> ModelEstimates(RatingMatrix ratings, int judge, int[] physicians, double[] scores, IReadOnlyDictionary<string, string> unitModels)
    {
        var byModel = new Dictionary<string, (List<double> Physician, List<double> Gold, List<double> Predicted, List<double> Unlabeled)>();
        var order = new List<string>();
        for (var u = 0; u < ratings.UnitCount; u++)
        {
            if (!unitModels.TryGetValue(ratings.UnitIds[u], out var model)) continue;
            if (!byModel.TryGetValue(model, out var lists))
            {
                byModel[model] = lists = ([], [], [], []);
                order.Add(model);
            }
            var physicianMean = PhysicianMean(ratings, u, physicians, scores);
            var own = ratings.Category(u, judge);
            if (physicianMean is { } y) lists.Physician.Add(y);
            if (own == RatingMatrix.Missing) continue;
            if (physicianMean is { } gold)
            {
                lists.Gold.Add(gold);
                lists.Predicted.Add(scores[own]);
            }
            else lists.Unlabeled.Add(scores[own]);
        }
        return order.Select(model =>
        {
            var (physician, gold, predicted, unlabeled) = byModel[model];
            Estimate physicianMean = physician.Count switch
            {
                0 => Estimate.Absent(JudgeReason.NoPhysicianValue),
                1 => Estimate.Of(physician[0]),
                _ => Of(PredictionPoweredMean.Classical(physician)),
            };
            Estimate powered, effective, gain;
            if (gold.Count == 0 || unlabeled.Count == 0 || gold.Count == 1)
            {
                var reason = physician.Count == 0 ? JudgeReason.NoPhysicianValue
                    : gold.Count == 0 ? JudgeReason.NoSharedResponse
                    : unlabeled.Count == 0 ? JudgeReason.NoJudgeOnlyResponse
                    : JudgeReason.OneResponse;
                powered = effective = gain = Estimate.Absent(reason);
            }
            else
            {
                var estimate = PredictionPoweredMean.Estimate(gold, predicted, unlabeled);
                powered = Of(estimate);
                effective = PredictionPoweredMean.EffectiveSampleSize(physician, estimate) is { } n
                    ? Estimate.Of(n)
                    : Estimate.Absent(JudgeReason.NoVariation);
                gain = effective.Value is { } value ? Estimate.Of(value / physician.Count) : effective;
            }
            return new ModelEstimate(model, physician.Count, gold.Count, unlabeled.Count, physicianMean, powered, effective, gain);
        }).ToList();
    }

    static Estimate Of(MeanInterval mean) => Estimate.Of(mean.Mean, mean.Interval);
}
