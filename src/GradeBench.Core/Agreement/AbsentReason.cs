using GradeBench.Core.Messages;

namespace GradeBench.Core.Agreement;

/// <summary>Why a coefficient has no value for the data (<see cref="Estimate.Reason"/>), as messages of
/// <c>MessageText.resx</c> (keys <c>Estimate_…</c>), so the page and the report say them in their reader's language.
/// The fixed ones are made once: the bootstrap may meet them in every resample.</summary>
static class AbsentReason
{
    public static readonly Message NotFinite = new("Estimate_NotFinite");
    public static readonly Message IntervalAlphaNeedsNumbers = new("Estimate_IntervalAlphaNeedsNumbers");
    public static readonly Message RatioAlphaNeedsNumbers = new("Estimate_RatioAlphaNeedsNumbers");
    public static Message RatioAlphaNegativeCategory(string category) => new("Estimate_RatioAlphaNegativeCategory", category);
    public static readonly Message NoPairableUnit = new("Estimate_NoPairableUnit");
    public static readonly Message AlphaNoVariation = new("Estimate_AlphaNoVariation");

    public static readonly Message KendallNeedsTwoUnits = new("Estimate_KendallNeedsTwoUnits");
    public static readonly Message KendallNeedsTwoRaters = new("Estimate_KendallNeedsTwoRaters");
    public static Message KendallNeedsCompleteData(int missing, int cells) => new("Estimate_KendallNeedsCompleteData", missing, cells);
    public static readonly Message KendallNoRankings = new("Estimate_KendallNoRankings");

    public static Message CohenNeedsTwoRaters(int raters) => new("Estimate_CohenNeedsTwoRaters", raters);
    public static readonly Message CohenNoSharedUnit = new("Estimate_CohenNoSharedUnit");
    public static readonly Message CohenNoVariation = new("Estimate_CohenNoVariation");

    public static readonly Message PairNoSharedUnit = new("Estimate_PairNoSharedUnit");
    public static readonly Message NominalNoBias = new("Estimate_NominalNoBias");
    public static readonly Message RaterNoSharedUnit = new("Estimate_RaterNoSharedUnit");

    public static Message NeedsTwoRaters(int raters) => new("Estimate_NeedsTwoRaters", raters);
    public static readonly Message NoRatings = new("Estimate_NoRatings");
    public static readonly Message NoRatedPair = new("Estimate_NoRatedPair");
    public static readonly Message FleissNoVariation = new("Estimate_FleissNoVariation");
    public static readonly Message RandolphSingleCategory = new("Estimate_RandolphSingleCategory");
    public static readonly Message GwetSingleCategory = new("Estimate_GwetSingleCategory");
    public static readonly Message GwetChanceIsOne = new("Estimate_GwetChanceIsOne");

    public static readonly Message IccNoVariation = new("Estimate_IccNoVariation");
    public static readonly Message IccNeedsNumbers = new("Estimate_IccNeedsNumbers");
    public static readonly Message IccNeedsTwoUnits = new("Estimate_IccNeedsTwoUnits");
    public static readonly Message IccNeedsTwoRaters = new("Estimate_IccNeedsTwoRaters");
    public static Message IccNeedsCompleteData(int missing, int cells) => new("Estimate_IccNeedsCompleteData", missing, cells);
    public static readonly Message Icc31Undefined = new("Estimate_Icc31Undefined");
    public static readonly Message Icc21Undefined = new("Estimate_Icc21Undefined");
    public static readonly Message Icc2kUndefined = new("Estimate_Icc2kUndefined");
    public static Message UnitsDoNotDiffer(string icc) => new("Estimate_UnitsDoNotDiffer", icc);
}
