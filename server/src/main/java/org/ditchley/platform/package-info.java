/**
 * What every module stands on: the database (embedded PostgreSQL or an external one), the
 * problem-detail mapping of errors (RFC 9457), request size limits and the OpenAPI description.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.ditchley.platform;
