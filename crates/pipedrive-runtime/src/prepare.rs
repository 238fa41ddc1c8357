//! Building one attempt's HTTP request from a [`Request`]: the URL (refusing paths that URL
//! normalisation would turn into another endpoint), the headers (the operation's own, the
//! credential, `Accept`, `User-Agent`) and the body.

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use crate::client::Client;
use crate::encode::is_dot_segment;
use crate::error::Error;
use crate::request::{Body, Request};

impl Client {
    /// Builds one attempt's HTTP request.
    ///
    /// The `reqwest::Request` is assembled directly rather than through a `RequestBuilder`, which
    /// would merge a second header map into the request's; only multipart bodies go through the
    /// builder, which knows how to frame them.
    pub(crate) fn prepare(
        &self,
        request: &Request,
        accept: HeaderValue,
        auth: HeaderValue,
        timeout: Duration,
    ) -> Result<reqwest::Request, Error> {
        let inner = &*self.inner;
        let operation = request.operation();
        let url = self.url(request)?;

        let mut headers = HeaderMap::with_capacity(4 + request.headers().len());
        headers.insert(ACCEPT, accept);
        headers.insert(USER_AGENT, inner.user_agent.clone());
        headers.insert(inner.auth.header_name().clone(), auth);
        let mut extra = Vec::with_capacity(request.headers().len());
        for (name, value) in request.headers() {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|err| {
                Error::invalid_request(operation, format!("{name:?} is not a valid header name")).with_source(err)
            })?;
            if name == *inner.auth.header_name() {
                return Err(Error::invalid_request(
                    operation,
                    format!("the {name} header is set by the client from Config's Auth"),
                ));
            }
            let value = HeaderValue::from_str(value).map_err(|err| {
                Error::invalid_request(
                    operation,
                    format!("the value of header {name} contains characters not allowed in HTTP headers"),
                )
                .with_source(err)
            })?;
            extra.push((name, value));
        }
        // Headers the operation sets replace the defaults of the same name instead of doubling them.
        for (name, _) in &extra {
            headers.remove(name);
        }
        for (name, value) in extra {
            headers.append(name, value);
        }

        let body = match request.body() {
            None => None,
            Some(
                body @ (Body::Json { bytes, .. }
                | Body::Form(bytes)
                | Body::Text { bytes, .. }
                | Body::Binary { bytes, .. }),
            ) => {
                let content_type = HeaderValue::from_str(body.content_type()).map_err(|err| {
                    Error::invalid_request(
                        operation,
                        format!(
                            "the body's media type {:?} contains characters not allowed in HTTP headers",
                            body.content_type()
                        ),
                    )
                    .with_source(err)
                })?;
                headers.insert(CONTENT_TYPE, content_type);
                Some(reqwest::Body::from(bytes.clone()))
            }
            Some(Body::Multipart(form)) => {
                // After the headers: reqwest sets the content type with the form's boundary.
                return inner
                    .http
                    .request(operation.method.to_reqwest(), url)
                    .timeout(timeout)
                    .headers(headers)
                    .multipart(form.to_reqwest(operation)?)
                    .build()
                    .map_err(|err| {
                        Error::invalid_request(operation, "the HTTP request could not be built").with_source(err)
                    });
            }
        };
        let mut http_request = reqwest::Request::new(operation.method.to_reqwest(), url);
        *http_request.headers_mut() = headers;
        *http_request.timeout_mut() = Some(timeout);
        *http_request.body_mut() = body;
        Ok(http_request)
    }

    /// `{base_url}{path}?{query}`, refusing paths that URL normalisation would rewrite.
    fn url(&self, request: &Request) -> Result<reqwest::Url, Error> {
        let operation = request.operation();
        let path = request.path();
        if !path.starts_with('/') || path.contains(['?', '#']) {
            return Err(Error::invalid_request(
                operation,
                format!(
                    "the path {path:?} must start with `/` and contain no `?` or `#`; encode values with encode_path_segment"
                ),
            ));
        }
        // After the leading `/`, every segment: an empty path parameter leaves `//` or a
        // trailing `/`, and a `.` or `..` would be collapsed by URL normalisation.
        for segment in path.split('/').skip(1) {
            let problem = if segment.is_empty() {
                "has an empty segment (an empty path parameter?)"
            } else if is_dot_segment(segment) {
                "contains a `.` or `..` segment"
            } else {
                continue;
            };
            return Err(Error::invalid_request(
                operation,
                format!("the path {path:?} {problem}, which would address another endpoint"),
            ));
        }
        let mut url = self.inner.base_url.with_path(path);
        if !request.query_pairs().is_empty() {
            url.query_pairs_mut().extend_pairs(request.query_pairs());
        }
        Ok(url)
    }
}
