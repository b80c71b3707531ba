/** The read API (`/api/<report>`), as the pages call it. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const api = async <T>(
  report: string,
  params: Readonly<Record<string, string | null | undefined>> = {},
): Promise<T> => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== null && value !== undefined && value !== '') search.set(key, value);
  const query = search.toString();
  const response = await fetch(`/api/${report}${query ? `?${query}` : ''}`);
  const body = (await response.json()) as { data?: T; error?: { code: string; reason: string } };
  if (!response.ok || body.error) {
    throw new ApiError(
      response.status,
      body.error?.code ?? 'ERROR',
      body.error?.reason ?? response.statusText,
    );
  }
  return body.data as T;
};
