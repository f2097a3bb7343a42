// The application must be set up as README.md says, or this test proves nothing about the
// README: its Installation snippet and its Quick start controller are compared to this
// application's POM and PriceController.

import groovy.xml.XmlSlurper

String readmeText = new File(readme).getText('UTF-8')

String block(String text, String section, String language) {
	int start = text.indexOf('\n## ' + section + '\n')
	assert start >= 0 : "README.md has no section '## ${section}'"
	def matcher = (text.substring(start) =~ /(?s)```${language}\n(.*?)```/)
	assert matcher.find() : "README.md's '## ${section}' has no ${language} block"
	return matcher.group(1)
}

def coordinates = { node ->
	[node.groupId.text(), node.artifactId.text(), node.version.text(), node.type.text(), node.scope.text()]
}

def installation = new XmlSlurper().parseText('<root>' + block(readmeText, 'Installation', 'xml') + '</root>')
def pom = new XmlSlurper().parse(new File(basedir, 'pom.xml'))

def documentedImports = installation.dependencyManagement.dependencies.dependency.collect(coordinates)
def imports = pom.dependencyManagement.dependencies.dependency.collect(coordinates)
assert imports == documentedImports : "dependencyManagement: README ${documentedImports}, application ${imports}"

def documented = installation.dependencies.dependency.collect(coordinates)
def used = pom.dependencies.dependency.collect(coordinates)
assert used.containsAll(documented) : "dependencies: README ${documented}, application ${used}"
assert documented.every { it[2].isEmpty() } : "README's modules have versions: ${documented}"

String controller = new File(basedir, 'src/main/java/com/example/prices/PriceController.java').getText('UTF-8')
assert controller == block(readmeText, 'Quick start', 'java') : 'PriceController is not the README\'s Quick start controller'

return true
