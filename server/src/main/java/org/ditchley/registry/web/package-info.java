/** The registry's pages: the public register, model pages with their lineage, developers' forms and the regulators' queue and import. */
package org.ditchley.registry.web;
