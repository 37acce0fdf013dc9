<?xml version="1.0" encoding="UTF-8"?>
<!-- sidedoor: shows an RSS or Atom feed opened in a browser as a readable page that says what
     a feed is and where to subscribe. Feed readers ignore it; nothing depends on it. No script,
     no inline style, no request outside the site: the page uses the site's own stylesheet,
     found from this file's address in the feed's xml-stylesheet instruction. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat"/>
  <xsl:variable name="instruction" select="/processing-instruction('xml-stylesheet')"/>
  <xsl:variable name="root"
                select="substring-before(substring-after($instruction, 'href=&quot;'), 'static/feed.xsl')"/>
  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="self" select="(/rss/channel/atom:link | /atom:feed/atom:link)[@rel='self']/@href"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <link rel="stylesheet" href="{$root}static/style.css"/>
      </head>
      <body>
        <header class="masthead">
          <p class="brand"><a href="{$root}">Back to the site</a></p>
        </header>
        <main id="main">
          <p class="notice">This is a <strong>feed</strong>: a file for feed-reader apps, which check
            it for you and show each new finding. To follow it, copy its address into a feed reader.
            <a href="{$root}subscribe/">How to subscribe, and feeds for one place or agency</a></p>
          <h1><xsl:value-of select="$title"/></h1>
          <p>Address to copy: <code class="address"><xsl:value-of select="$self"/></code></p>
          <h2>Latest entries</h2>
          <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <article class="finding">
      <h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
      <p class="dates"><xsl:value-of select="pubDate"/></p>
    </article>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article class="finding">
      <h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
      <p class="dates"><xsl:value-of select="substring(atom:published, 1, 10)"/></p>
    </article>
  </xsl:template>
</xsl:stylesheet>
