/**
 * The pages shared by all: the layout, the home page, sign-in and the error page shown when a
 * page request cannot be carried out. Each module renders its own pages in this layout.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Portal")
package org.ditchley.portal;
