using System.Runtime.CompilerServices;

// The tests check internals such as JsonLineMap directly.
[assembly: InternalsVisibleTo("GradeBench.Core.Tests")]
