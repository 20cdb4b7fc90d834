// The HTTP errors the server answers with, in one place: status, name, and what to do.
export const HTTP_ERRORS = {
  tokenRequired: {
    statusCode: 401, error: 'Unauthorized',
    message: 'this netshade server needs its token: open /?token=TOKEN, or send "Authorization: Bearer TOKEN"',
  },
  badRequest: { statusCode: 400, error: 'Bad Request' },
  notFound: { statusCode: 404, error: 'Not Found' },
} as const;
