namespace GradeBench.Core.Reports;

/// <summary>What the report's methods paragraph says about a study besides its results: the design as configured
/// (raters per response, blinding, queue order) and as it happened (assignments, dates, calibration, adjudication),
/// and the model metadata the bundle brought in (<c>responses.meta_json</c>).</summary>
public sealed record StudyFacts(
    string Slug,
    string Title,
    string Language,
    int RatersPerResponse,
    bool HideModel,
    bool Shuffle,
    string State,
    string CreatedAt,
    int RaterMembers,
    int CoordinatorMembers,
    IReadOnlyList<(string Language, int Cases)> CaseLanguages,
    int CasesWithReference,
    IReadOnlyList<int> RaterLoads,
    IReadOnlyList<int> RatersPerAssignedResponse,
    int SubmittedRatings,
    string? FirstSubmitted,
    string? LastSubmitted,
    IReadOnlyDictionary<string, int> RatingsBySource,
    int CalibrationSessions,
    int CalibrationRounds,
    int AdjudicationItems,
    int AdjudicationResolved,
    int AdjudicationForDisagreement,
    int AdjudicationForSafety,
    int ConsensusValues,
    IReadOnlyList<ModelMetadata> ModelMetadata)
{
    public int Cases => CaseLanguages.Sum(l => l.Cases);

    /// <summary>study.json's <c>human_subset</c> as given (a fraction such as <c>0.25</c>, or a count of responses per
    /// model), when physicians rated a seeded random subset of each model's responses (<see cref="Grading.HumanSubset"/>);
    /// null when they were assigned every response.</summary>
    public string? HumanSubset { get; init; }

    /// <summary>How many responses physicians were assigned from: all of the study's unless <see cref="HumanSubset"/> chose fewer.</summary>
    public int PhysicianResponses { get; init; }
}

/// <summary>One key of a model's response metadata: its first <see cref="ValuesKept"/> distinct values and how many
/// distinct values it has in all.</summary>
public sealed record ModelMetadata(string Model, string Key, IReadOnlyList<string> Values, int DistinctValues)
{
    public const int ValuesKept = 5;
}
