using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReplicatedLog.ServiceDefaults.Apis;

/// <summary>
/// Turns a request the server could not read (a malformed chunked body, a body that stopped arriving, one over the
/// size limit: <see cref="BadHttpRequestException"/>) into a problem with the exception's own status code (400, 408,
/// 413), wherever the body was read. It is the client's fault, not the service's: logged at Debug, and the exception
/// handler middleware records no error for an exception a handler took (.NET 10).
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogBadRequest(logger, httpContext.Request.Method, httpContext.Request.Path, bad.StatusCode, bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = bad,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "Unreadable request",
                Detail = $"The request body could not be read: {bad.Message}",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path}: answered {Status}, the request body could not be read: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, int status, string reason);
}
